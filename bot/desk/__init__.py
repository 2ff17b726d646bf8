"""The staff desk: server-rendered pages for officials and admins on the `dccs serve` app.

Delivery only: sessions and scope come from handlers/desk and handlers/access, case steps from
handlers/petitions. Every page checks the desk session, the role and the unit scope on the
server; every form carries a CSRF token.
"""

from bot.desk.routes import add_routes

__all__ = ["add_routes"]
