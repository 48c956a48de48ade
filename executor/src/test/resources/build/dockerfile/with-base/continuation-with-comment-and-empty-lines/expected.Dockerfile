FROM \
# the base image, overridden per variant

  python:3.8-alpine \
    # and its name
  AS build
RUN echo hi
