// Two bundles: the extension host program (Node) and the result viewer's browser program.
'use strict';
const fs = require('fs');
const path = require('path');
const webpack = require('webpack');

/** Ships Ferry's session code (a real .py file, linted and unit-tested on its own) as dist/python/. */
class CopyPythonRuntime {
  apply(compiler) {
    const file = path.resolve(__dirname, 'src/run/python/ferry_runtime.py');
    compiler.hooks.thisCompilation.tap('CopyPythonRuntime', (compilation) => {
      compilation.hooks.processAssets.tap({ name: 'CopyPythonRuntime', stage: webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL }, () => {
        compilation.fileDependencies.add(file);
        compilation.emitAsset('python/ferry_runtime.py', new webpack.sources.RawSource(fs.readFileSync(file)));
      });
    });
  }
}

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
  // __dirname is the bundle's folder at run time (dist/), where dist/python/ferry_runtime.py is.
  node: { __dirname: false },
  plugins: [new CopyPythonRuntime()],
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
