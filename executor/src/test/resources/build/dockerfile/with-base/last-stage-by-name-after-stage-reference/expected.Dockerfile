FROM golang:1.22 AS build
RUN go build ./...

FROM build AS test
RUN go test ./...

FROM alpine:3.20 AS final
COPY --from=build /go/bin/app /app
