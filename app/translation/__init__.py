"""What people write, in the language they wrote it in, and read in the reader's language.

- ``detect``: the language of a text, found when it is written (offline, lingua).
- ``provider``: the one interface to a machine-translation service (LibreTranslate's HTTP API).
- ``store``: translations kept by (text, its language) × target language, so each is made once.
- ``display``: the one way templates print user-written text (``user_text``), with its language
  marked up, and with a machine translation and its mark when the reader asked for one.
"""
