"""danvan: the chatbot that walks rural residents through online public services, step by step."""
