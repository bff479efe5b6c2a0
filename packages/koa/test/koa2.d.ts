// `koa2` is an npm alias of koa@2, whose API for what the tests use matches the Koa 3 types.
declare module 'koa2' {
  import Koa from 'koa';
  export default Koa;
}
