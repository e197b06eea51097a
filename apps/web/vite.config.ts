import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// In development the page talks to `eni-view serve` on 8080 (ENI_VIEW_API overrides it).
const api = process.env.ENI_VIEW_API ?? "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", sourcemap: true, chunkSizeWarningLimit: 1000 },
  server: { host: "127.0.0.1", proxy: { "/api": { target: api, changeOrigin: false } } },
  preview: { host: "127.0.0.1", proxy: { "/api": { target: api, changeOrigin: false } } },
});
