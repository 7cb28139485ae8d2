import type { MetadataRoute } from "next";

export default function manifest(): MetadataRoute.Manifest {
  return {
    name: "Latchkey",
    short_name: "Latchkey",
    description: "Your account, devices and encryption keys.",
    start_url: "/home",
    display: "standalone",
    background_color: "#f8fafc",
    theme_color: "#174cad",
    icons: [{ src: "/logo.svg", sizes: "any", type: "image/svg+xml" }],
  };
}
