FROM node:20 AS web
RUN npm ci && npm run build

FROM --platform=linux/amd64 nginx:1.25-alpine AS serve
COPY --from=web /app/dist /usr/share/nginx/html
