ARG BASE=python:3.8
FROM python:3.8-alpine
RUN echo $BASE
