"""Đơn thư: filing, lookup, the legal deadline rules, officials' work on a case, figures, files
and letters."""
