"""Knowledge-base curation by admins: in the chat, from files, with revisions and audit."""
