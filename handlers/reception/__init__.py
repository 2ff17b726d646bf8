"""Tiếp công dân: bookings, walk-ins, the schedule of sessions, officials' work on a session and
the figures."""
