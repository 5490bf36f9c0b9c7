// The typed message protocol between the result viewer and the extension host.
export {};
