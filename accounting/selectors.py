def initiative_panel_context(initiative, user):
    return None
