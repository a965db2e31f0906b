//! The long-running service: scheduler, graceful shutdown, systemd notification.
