# The Clockwork operator image. Multi-stage: production dependencies only, Node 24 slim, non-root,
# nothing written at run time (works with readOnlyRootFilesystem). Node 24 runs the TypeScript
# sources directly (type stripping), so there is no build step.
# Registry-free equivalent used by the tests: `make image-local` (see mk/operator-image.mk).
FROM node:24-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json ./
COPY sdk/src ./sdk/src
COPY operator/src ./operator/src
COPY crds ./crds
USER 65532:65532
EXPOSE 8080
# The operator's own entry: it loads nothing of the CLI.
ENTRYPOINT ["node", "operator/src/main.ts"]
