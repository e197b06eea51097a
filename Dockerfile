# syntax=docker/dockerfile:1
# eni-view image: Node.js 24 running the npm package `eni-view` that `npm run build` makes (dist/package:
# the CLI, server, simulator and model compiled into lib/, the built web app, the scenarios), with the
# package's production dependencies installed from its npm-shrinkwrap.json. The image runs exactly what
# `npx eni-view` runs.
#
#   docker build -t REGISTRY/eni-view:0.1.0 .
#
# The base images are build arguments so you can pin them by digest (node:24-alpine@sha256:...) or
# point them at a mirror. Rebuild regularly to pick up the base image's security fixes.
ARG BUILD_IMAGE=node:24-bookworm-slim
ARG RUNTIME_IMAGE=node:24-alpine

# ---- build: all dependencies (dev included), then `npm run build` writes dist/package ----
# Runs on the build machine's own platform: its output is platform-independent JavaScript, so a
# multi-arch build (linux/amd64 + linux/arm64 for Graviton nodes) compiles it once, natively.
# Debian, not Alpine: the repo's `node` devDependency and the bundlers (Vite, rolldown) ship glibc binaries.
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
# The commit `eni-view --version` and /metrics name: the build context has no .git, so the release
# workflow passes it (--build-arg ENI_VIEW_COMMIT=$GITHUB_SHA); without it the commit is "unknown".
ARG ENI_VIEW_COMMIT=""
RUN ENI_VIEW_COMMIT="$ENI_VIEW_COMMIT" npm run build

# ---- prod-deps: the package's dependencies, for the target platform ----
# Installed from the package's npm-shrinkwrap.json (the lockfile's versions of the server's
# dependencies): not the web app's React (bundled already), the e2e tools, Vite, Biome or TypeScript.
# No install scripts: none of these packages needs one.
FROM ${RUNTIME_IMAGE} AS prod-deps
WORKDIR /app
COPY --from=build /src/dist/package/package.json /src/dist/package/npm-shrinkwrap.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund

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
# The whole package, the simulator's scenarios included, so `docker run IMAGE --source sim` shows a
# demo cluster without AWS.
COPY --from=build /src/dist/package ./
# Nothing in the image is written at run time; the one writable path is /tmp, which Kubernetes
# mounts as an emptyDir (deploy/base/deployment.yaml) when the root filesystem is read-only.
USER 10001:10001
EXPOSE 8080
# Node itself is the one process (PID 1): the package's `eni-view` bin, run by the base image's node.
ENTRYPOINT ["node", "lib/eni-view.js", "serve"]
CMD ["--source", "cluster", "--host", "0.0.0.0", "--port", "8080"]
