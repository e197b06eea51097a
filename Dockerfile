# syntax=docker/dockerfile:1
# eni-view image: build the web app, then ship Node.js 24, the server's production dependencies and
# the sources. Node 24 runs the server's TypeScript directly (type stripping), so the web app is the
# only thing compiled.
#
#   docker build -t REGISTRY/eni-view:0.1.0 .
#
# The base images are build arguments so you can pin them by digest (node:24-alpine@sha256:...) or
# point them at a mirror. Rebuild regularly to pick up the base image's security fixes.
ARG BUILD_IMAGE=node:24-bookworm-slim
ARG RUNTIME_IMAGE=node:24-alpine

# ---- build: all dependencies (dev included), then `npm run build` writes apps/web/dist ----
# Runs on the build machine's own platform: its only output is the platform-independent web bundle,
# so a multi-arch build (linux/amd64 + linux/arm64 for Graviton nodes) compiles it once, natively.
# Debian, not Alpine: the repo's `node` devDependency and Vite's native bundler ship glibc binaries.
FROM --platform=$BUILDPLATFORM ${BUILD_IMAGE} AS build
WORKDIR /src
# Manifests first, so the dependency layer is reused until package.json or the lockfile change.
COPY package.json package-lock.json ./
COPY packages/model/package.json packages/model/
COPY packages/sim/package.json packages/sim/
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY e2e/package.json e2e/
# The npm cache lives in a BuildKit cache mount: faster rebuilds, and it never lands in a layer.
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# ---- prod-deps: the server's production dependencies only, for the target platform ----
# `-w @eni-view/server` installs that workspace's dependency tree (and links @eni-view/model and
# @eni-view/sim), not the web app's React or the e2e tools; `--omit=dev` leaves out Vite, Biome,
# TypeScript and the `node` package. No install scripts: none of these packages needs one.
FROM ${RUNTIME_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/model/package.json packages/model/
COPY packages/sim/package.json packages/sim/
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY e2e/package.json e2e/
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund -w @eni-view/server

# ---- runtime ----
FROM ${RUNTIME_IMAGE} AS runtime
# The running container never installs anything: remove the package managers the base image
# carries (less code an attacker could use), then add the unprivileged user the process runs as.
# UID 10001, not the image's "node" user (1000), which often matches a real user on hosts.
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-* \
  && addgroup -S -g 10001 eniview \
  && adduser -S -D -H -u 10001 -G eniview -h /nonexistent -s /sbin/nologin eniview
WORKDIR /app
ENV NODE_ENV=production
# Files stay owned by root: the server process can read its code but not change it, even where the
# root filesystem is not mounted read-only.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json ./
COPY packages/model/package.json packages/model/
COPY packages/model/src packages/model/src
COPY packages/sim/package.json packages/sim/
COPY packages/sim/src packages/sim/src
# The simulator's scenarios, so `docker run IMAGE --source sim` shows a demo cluster without AWS.
COPY packages/sim/scenarios packages/sim/scenarios
COPY apps/server/package.json apps/server/
COPY apps/server/bin apps/server/bin
COPY apps/server/src apps/server/src
COPY --from=build /src/apps/web/dist apps/web/dist
# Nothing in the image is written at run time; the one writable path is /tmp, which Kubernetes
# mounts as an emptyDir (deploy/base/deployment.yaml) when the root filesystem is read-only.
USER 10001:10001
EXPOSE 8080
# Node itself is the one process (PID 1). The base image's node, not the repo's `node` package.
ENTRYPOINT ["node", "apps/server/bin/eni-view.js", "serve"]
CMD ["--source", "cluster", "--host", "0.0.0.0", "--port", "8080"]
