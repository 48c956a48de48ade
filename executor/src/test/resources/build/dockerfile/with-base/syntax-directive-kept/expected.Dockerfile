# syntax=docker/dockerfile:1
# escape=\

FROM python:3.8-slim
RUN --mount=type=cache,target=/root/.cache pip install -r requirements.txt
