// `express4` is an npm alias of express@4; its API for what the tests use matches Express 5's types.
declare module 'express4' {
  import express from 'express';
  export default express;
}
