FROM golang:1.21 AS build
RUN go build ./...

FROM build AS test
RUN go test ./...

FROM alpine:3.19
COPY --from=build /go/bin/app /app
