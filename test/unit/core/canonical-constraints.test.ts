import { describe, expect, it } from "vitest";
import { canonicalConstraints } from "../../../main/core/canonical-constraints.js";

describe("canonicalConstraints", () => {
  it("writes what tofu providers lock wrote for the same requirements", () => {
    // Root "~> 1.0, >= 1.0.0" and a local module ">= 1": tofu 1.6.2 recorded ">= 1.0.0, ~> 1.0".
    expect(canonicalConstraints(["~> 1.0, >= 1.0.0", ">= 1"])).toBe(">= 1.0.0, ~> 1.0");
  });

  it("writes an exact version bare, a minor pessimistic bound with two parts and a patch one with three", () => {
    expect(canonicalConstraints(["= 1.2.3"])).toBe("1.2.3");
    expect(canonicalConstraints(["~> 2"])).toBe("~> 2.0");
    expect(canonicalConstraints(["~> 2.1.0"])).toBe("~> 2.1.0");
  });

  it("orders lower bounds first, upper bounds next and exclusions last", () => {
    expect(canonicalConstraints(["!= 1.5.0", "< 2.0.0", "> 1.0.0"])).toBe("> 1.0.0, != 1.5.0, < 2.0.0");
    expect(canonicalConstraints(["<= 3.0.0, >= 3.0.0"])).toBe(">= 3.0.0, <= 3.0.0");
  });

  it("is empty when nothing constrains the provider", () => {
    expect(canonicalConstraints([])).toBe("");
    expect(canonicalConstraints([""])).toBe("");
  });

  it("refuses a malformed constraint with the parser's reason", () => {
    expect(() => canonicalConstraints(["=> 1.0"])).toThrow(/Did you mean ">="/);
  });
});
