ARG PY=3.8
FROM python:3.8-alpine AS app
FROM $PY
