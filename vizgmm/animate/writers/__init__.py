"""File writers: one FrameWriter per format, registered by name; ffmpeg, palette, size budget."""
