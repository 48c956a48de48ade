FROM python:3.8-alpine
RUN pip install flask
CMD ["flask", "run"]
