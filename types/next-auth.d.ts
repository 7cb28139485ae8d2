import "next-auth";
import "next-auth/jwt";

declare module "next-auth/jwt" {
  interface JWT {
    /** The Session row this browser is signed in with. */
    sid?: string;
  }
}

declare module "next-auth" {
  interface Session {
    sid?: string;
  }
}
