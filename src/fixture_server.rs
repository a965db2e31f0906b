//! A static HTTP server over `fixtures/` on 127.0.0.1, for `wiredesk demo` and the tests.
