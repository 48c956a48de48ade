FROM python:3.8 AS build
RUN echo C:\\
FROM alpine:3.20 AS final
COPY --from=build /x /x
