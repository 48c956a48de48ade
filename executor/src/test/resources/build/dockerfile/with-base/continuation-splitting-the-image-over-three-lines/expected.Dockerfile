FROM \
\
python:3.8-alpine
RUN echo hi
