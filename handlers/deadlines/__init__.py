"""Officials' reporting deadlines: what a deadline is and when it falls due, the reminders the
clock queues, the chat, and plan files with the command line."""
