enum _PlaceholderCircleServer {}
