enum _PlaceholderCircleClient {}
