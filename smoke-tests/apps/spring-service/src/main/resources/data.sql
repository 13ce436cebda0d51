MERGE INTO greetings (id, text) KEY (id) VALUES (1, 'hello from h2');
MERGE INTO greetings (id, text) KEY (id) VALUES (2, 'second row');
