import { describe, expect, it } from "vitest";
import { activityLabel, eventDetails } from "./event-labels";

describe("audit event words, shared by the activity page and the admin audit log", () => {
  it("names events in words", () => {
    expect(activityLabel("user.signed_out")).toBe("Signed out");
    expect(activityLabel("admin.user_deactivated")).toBe("Account deactivated by an administrator");
  });

  it("spells details out instead of showing their JSON", () => {
    expect(eventDetails({ kind: "BROWSER" })).toBe("Kind: browser");
    expect(eventDetails({ devicesRevoked: 2, sessionsEnded: 3 })).toBe("Devices revoked: 2 · Sessions ended: 3");
    expect(eventDetails({ removePasskeys: true, channel: "SMS" })).toBe("Remove passkeys: yes · Channel: text message");
    expect(eventDetails(null)).toBe("");
    expect(eventDetails({})).toBe("");
  });
});
