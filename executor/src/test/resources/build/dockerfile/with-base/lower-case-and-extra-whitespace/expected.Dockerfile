  from 	 python:3.8-alpine   as   Build  
run echo hi
