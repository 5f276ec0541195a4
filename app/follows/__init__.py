"""Following meeting places and organisations: the button, the email form for visitors,
and the confirm and stop links that work without an account."""
