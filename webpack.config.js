// Two bundles: the extension host program (Node) and the result viewer's browser program.
'use strict';
const path = require('path');

/** @type {import('webpack').Configuration} */
const extension = {
  name: 'extension',
  target: 'node',
  // The sort/filter worker thread is its own file beside extension.js (src/results/orderWorker.ts finds it).
  entry: { extension: './src/extension.ts', tableWorker: './src/results/tableWorker.ts' },
  output: {
    path: path.resolve(__dirname, 'dist'),
    filename: '[name].js',
    libraryTarget: 'commonjs2',
    clean: { keep: /webviews[\\/]/ },
  },
  externals: { vscode: 'commonjs vscode' },
  resolve: { extensions: ['.ts', '.js'], mainFields: ['module', 'main'] },
  module: {
    rules: [{ test: /\.ts$/, exclude: /node_modules/, use: [{ loader: 'ts-loader', options: { configFile: 'tsconfig.json', transpileOnly: true } }] }],
  },
  devtool: false,
  performance: { hints: false },
  infrastructureLogging: { level: 'warn' },
};

/** @type {import('webpack').Configuration} */
const webview = {
  name: 'webview',
  target: 'web',
  entry: { main: './webviews/main.ts' },
  output: {
    path: path.resolve(__dirname, 'dist', 'webviews'),
    filename: '[name].js',
    chunkFilename: '[name].chunk.js',
    clean: true,
  },
  resolve: { extensions: ['.ts', '.js'] },
  module: {
    rules: [
      { test: /\.ts$/, exclude: /node_modules/, use: [{ loader: 'ts-loader', options: { configFile: path.resolve(__dirname, 'webviews/tsconfig.json'), transpileOnly: true, compilerOptions: { noEmit: false } } }] },
      { test: /\.css$/, type: 'asset/source' },
    ],
  },
  devtool: false,
  performance: { hints: false },
  infrastructureLogging: { level: 'warn' },
};

module.exports = [extension, webview];
