// Entry of dist/webview/grid.js inside the VS Code webview.
import { startApp } from "./app";
import { vscodeChannel } from "./channel";

const root = document.getElementById("app");
if (root) startApp(root, vscodeChannel());
