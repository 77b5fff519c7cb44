// Placeholder entry point: the command surface is declared in Commands/ (foundation issue).
return 0;
