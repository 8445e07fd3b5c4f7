"""Each domain's rows of the authorization matrix: a module per domain defining ``ROUTES``.

``tests/web/test_authorization_matrix.py`` merges them with its core table.
"""
