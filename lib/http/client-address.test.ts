import { describe, expect, it } from "vitest";
import { clientAddress, normaliseAddress, parseProxyEntry, rateLimitSubject, trustedProxiesFrom } from "./client-address";

const none = trustedProxiesFrom([]);
const proxies = trustedProxiesFrom(["10.0.0.0/8", "127.0.0.1", "fd00::/8"]);

describe("clientAddress", () => {
  it("is the socket peer when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(clientAddress("203.0.113.5", "198.51.100.1", none)).toBe("203.0.113.5");
    expect(clientAddress("::ffff:203.0.113.5", undefined, none)).toBe("203.0.113.5");
    expect(clientAddress(undefined, "198.51.100.1", none)).toBe("unknown");
  });

  it("behind trusted proxies, takes the right-most entry that is not a trusted proxy", () => {
    expect(clientAddress("127.0.0.1", "1.1.1.1, 203.0.113.9", proxies)).toBe("203.0.113.9");
    expect(clientAddress("127.0.0.1", "1.1.1.1, 203.0.113.9, 10.1.2.3", proxies)).toBe("203.0.113.9");
    expect(clientAddress("127.0.0.1", ["1.1.1.1", "203.0.113.9"], proxies)).toBe("203.0.113.9");
    expect(clientAddress("10.0.0.1", "[2001:db8::1]:443", proxies)).toBe("2001:db8::1");
  });

  it("stops at the last trusted hop when an entry is not an IP, never reaching client-written entries", () => {
    expect(clientAddress("127.0.0.1", "203.0.113.1, garbage", proxies)).toBe("127.0.0.1");
    expect(clientAddress("127.0.0.1", "203.0.113.1, unknown, 10.0.0.7", proxies)).toBe("10.0.0.7");
    expect(clientAddress("127.0.0.1", "x".repeat(4000), proxies)).toBe("127.0.0.1");
  });

  it("uses the peer when every hop is trusted or the header is missing", () => {
    expect(clientAddress("127.0.0.1", undefined, proxies)).toBe("127.0.0.1");
    expect(clientAddress("127.0.0.1", "10.0.0.2", proxies)).toBe("10.0.0.2");
  });
});

describe("proxy entries and addresses", () => {
  it("accepts addresses and CIDR ranges and refuses anything else", () => {
    expect(parseProxyEntry("10.0.0.0/8")).toEqual({ address: "10.0.0.0", prefix: 8, family: "ipv4" });
    expect(parseProxyEntry("::1")).toEqual({ address: "::1", prefix: 128, family: "ipv6" });
    for (const bad of ["10.0.0.0/33", "example.com", "10.0.0.0/8/1", "1.2.3.4/x", ""]) expect(parseProxyEntry(bad)).toBeNull();
    expect(() => trustedProxiesFrom(["nope"])).toThrow();
  });

  it("normalises ports, brackets and IPv4-mapped IPv6", () => {
    expect(normaliseAddress("203.0.113.1:8080")).toBe("203.0.113.1");
    expect(normaliseAddress("[::FFFF:203.0.113.1]")).toBe("203.0.113.1");
    expect(normaliseAddress("not-an-ip")).toBeNull();
  });
});

describe("rateLimitSubject", () => {
  it("keeps IPv4 addresses and counts an IPv6 address by its /64, however it is spelled", () => {
    expect(rateLimitSubject("203.0.113.7")).toBe("203.0.113.7");
    expect(rateLimitSubject("unknown")).toBe("unknown");
    const subject = "2001:db8:0:1::/64";
    for (const address of ["2001:db8:0:1::1", "2001:db8:0:1:ffff:ffff:ffff:ffff", "2001:0db8:0000:0001:0:0:0:2", "2001:DB8:0:1:a::b", "2001:db8:0:1::192.0.2.1"]) {
      expect(rateLimitSubject(address)).toBe(subject);
    }
    expect(rateLimitSubject("2001:db8:0:2::1")).toBe("2001:db8:0:2::/64");
    expect(rateLimitSubject("::1")).toBe("0:0:0:0::/64");
    expect(rateLimitSubject("fe80::")).toBe("fe80:0:0:0::/64");
    expect(rateLimitSubject("2001:db8::")).toBe("2001:db8:0:0::/64");
  });
});
