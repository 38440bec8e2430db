"""Pemeriksaan: the walidata checks every dataset before the public sees it
(Perpres 39/2019). ``states`` (the life cycle, pure), ``workflow`` (the
transitions and what a write to a dataset may change), ``pending`` (the
next version of a published dataset, kept apart until it is published),
``visibility`` (who sees what: permission labels), ``items`` and
``evidence`` (what the walidata reviews, with the SDI checks), ``notify``
(e-mail) and ``views`` (the dashboard, the producer's page, the review page).
"""
