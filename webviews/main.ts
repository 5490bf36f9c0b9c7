// The result viewer's browser program (replaced by the result viewer implementation).
export {};
