FROM golang:1.21-alpine AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app ./cmd/app

FROM alpine:3.19
COPY --from=build /out/app /usr/local/bin/app
ENTRYPOINT ["app"]
