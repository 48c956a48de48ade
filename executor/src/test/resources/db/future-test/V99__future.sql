CREATE TABLE future_thing (id INTEGER);
