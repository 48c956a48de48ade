FROM python:3.9 AS python
# python:3.8 is the default
RUN echo python:3.8 > /base
LABEL base=python:3.8
FROM python:3.8
