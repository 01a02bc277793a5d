"""Share links: configurations stored under short content-addressed slugs, the gallery, and link previews."""
