# The Clockwork operator image. Multi-stage: the sources compiled to JavaScript (no type stripping
# at run time: faster start, less memory), production dependencies only, Node 24 slim, non-root,
# nothing written at run time (works with readOnlyRootFilesystem).
# Registry-free equivalent used by the tests: `make image-local` (see mk/operator-image.mk).
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY sdk/src ./sdk/src
COPY operator/src ./operator/src
RUN node_modules/.bin/tsc -p tsconfig.build.json

FROM node:24-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/dist ./dist
COPY crds ./crds
USER 65532:65532
EXPOSE 8080
# The operator's own entry: it loads nothing of the CLI. The V8 flags: operator/src/main/node-flags.ts.
ENTRYPOINT ["node", "--max-semi-space-size=2", "dist/operator/src/main.js"]
