# Build the app
# escape=`
FROM python:3.8-alpine \
  AS build
RUN echo hi
