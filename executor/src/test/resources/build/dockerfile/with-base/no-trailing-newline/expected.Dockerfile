# no newline at the end
FROM python:3.8-alpine