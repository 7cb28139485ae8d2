import { describe, expect, it } from "vitest";
import { checkActionBody, isActionCall } from "./action-body";

const check = (body: string, contentType = "text/plain;charset=UTF-8") => checkActionBody("/reset", contentType, Buffer.from(body))?.status ?? null;

describe("checkActionBody", () => {
  it("lets through arguments as React encodes plain values: a JSON array with inline $-values", () => {
    expect(check('[{"email":"a@b.co"}]')).toBeNull();
    expect(check('[{"note":"$$5 off","at":"$D2026-12-03T00:00:00.000Z","n":"$n12","missing":"$undefined"}, null]')).toBeNull();
    expect(check("[]")).toBeNull();
  });

  it("refuses with a 400 what Next cannot decode: not JSON, not an array, an empty body, references to outlined parts", () => {
    for (const body of ["not json", '"str"', '{"a":1}', "", '["$Q1"]', '[{"a":"$@1"}]', '[["$K1"]]', '["$1"]', '["$h0"]']) {
      expect(check(body), body).toBe(400);
    }
  });

  it("refuses multipart bodies: no action here takes files or form data", () => {
    expect(check('--x\r\nContent-Disposition: form-data; name="0"\r\n\r\n[]\r\n--x--', "multipart/form-data; boundary=x")).toBe(400);
  });

  it("answers in the shape the path expects", () => {
    expect(checkActionBody("/reset", "text/plain", Buffer.from("x"))?.headers["Content-Type"]).toBe("text/plain; charset=utf-8");
  });

  it("recognises an action call by its POST and Next-Action header", () => {
    expect(isActionCall("POST", { "next-action": "abc" })).toBe(true);
    expect(isActionCall("POST", {})).toBe(false);
    expect(isActionCall("GET", { "next-action": "abc" })).toBe(false);
  });
});
