import { describe, expect, it } from "vitest";
import { ftsExpression, parseCatalogText } from "../../../main/core/catalog-query.js";

describe("ftsExpression", () => {
  it("quotes every word and makes the last a prefix, so no FTS syntax survives", () => {
    expect(ftsExpression('aws OR "vpc" NEAR( -x description:y*')).toBe(
      '"aws" "OR" "vpc" "NEAR" "x" "description" "y"*',
    );
    expect(ftsExpression("Straße café")).toBe('"Straße" "café"*');
  });

  it("has nothing to search for text without words", () => {
    expect(ftsExpression('" - * ( : 🙂')).toBeNull();
    expect(ftsExpression("")).toBeNull();
  });

  it("keeps at most twelve words", () => {
    expect(ftsExpression("a ".repeat(50))?.split(" ")).toHaveLength(12);
  });
});

describe("parseCatalogText", () => {
  it("reads bare words, namespace/name, namespace/name/system and a leading host", () => {
    expect(parseCatalogText(" aws ").address).toEqual({ namespace: null, name: "aws", system: null });
    expect(parseCatalogText("hashicorp/aws").address).toEqual({
      namespace: "hashicorp",
      name: "aws",
      system: null,
    });
    expect(parseCatalogText("hashicorp/").address).toEqual({
      namespace: "hashicorp",
      name: "",
      system: null,
    });
    expect(parseCatalogText("terraform-aws-modules/vpc/aws").address).toEqual({
      namespace: "terraform-aws-modules",
      name: "vpc",
      system: "aws",
    });
    expect(parseCatalogText("registry.example.com/team/net/aws")).toEqual({
      host: "registry.example.com",
      address: { namespace: "team", name: "net", system: "aws" },
      fts: '"team" "net" "aws"*',
    });
  });

  it("takes text with spaces, empty parts or too many parts as words only", () => {
    for (const text of ["aws vpc", "a//b", "/", "a/b/c/d", "/aws"])
      expect(parseCatalogText(text).address, text).toBeNull();
    expect(parseCatalogText("").fts).toBeNull();
  });
});
