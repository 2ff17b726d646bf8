"""The staff desk's behaviour (login links, the đơn queue and case page); its web routes are
in bot/desk. Case steps are the chat's own (handlers/petitions): the desk adds no rules."""
