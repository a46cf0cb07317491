"""HTTP hardening around Django: request-body limits (ASGI and daphne), refusals in each
door's own error shape, answers while the database is down."""
