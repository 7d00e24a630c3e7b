# Tollgate GitHub App. Build: docker build -t tollgate .
# Run:   docker run -p 3000:3000 -e APP_ID -e PRIVATE_KEY -e WEBHOOK_SECRET tollgate

# --- build: compile TypeScript and the rule catalogue ---------------------------
FROM node:20.19-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# No lifecycle scripts from dependencies; `prepare` (the build) runs explicitly below.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY rules ./rules
COPY src ./src
COPY bench ./bench
RUN npm run build

# --- runtime: production dependencies and compiled output only -----------------
FROM node:20.19-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    LOG_FORMAT=json
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /src/dist ./dist
COPY rules ./rules
# Data files the checks read at run time (known-compromised actions, popular PyPI names).
COPY src/checks/actions/data ./src/checks/actions/data
COPY src/checks/deps/data ./src/checks/deps/data
COPY bin ./bin
COPY app.yml ./app.yml
# The official image's unprivileged user (uid 1000); nothing in /app is writable by it.
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/server.js"]
